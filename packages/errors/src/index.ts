export { HushError, isHushError } from "./hush-error.js";
