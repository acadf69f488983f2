import { render } from "preact";
import { App } from "./app.js";
// In cascade order: the plain elements first, each part of the console after them.
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/panels.css";
import "./styles/tables.css";
import "./styles/secrets.css";
import "./styles/environments.css";
import "./styles/integrations.css";

render(<App />, document.getElementById("app")!);
