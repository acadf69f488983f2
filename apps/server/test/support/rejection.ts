export { rejection } from "../../../../test-utils/rejection.js";
