// Node tests run TF.js on the `cpu` backend (tfjs-node cannot be installed here).
import {setupBackend} from "../../lib/tf.js";

await setupBackend(["cpu"]);
