import { SmmClient, SmmError, validateOrder } from "smm-panel-sdk";
import { runInPage } from "../../shared/exercise.js";

runInPage({ SmmClient, SmmError, validateOrder });
