import { SmmClient, SmmError, validateOrder } from "smm-panel-sdk";
import { runInPage } from "./exercise.js";

runInPage({ SmmClient, SmmError, validateOrder });
