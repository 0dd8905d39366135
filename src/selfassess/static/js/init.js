// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "../build/govuk-frontend.min.js";
import { initKeepChecking } from "./keep-checking.js";
import { initTimeoutWarning } from "./timeout-warning.js";

initAll();
initTimeoutWarning();
initKeepChecking();
