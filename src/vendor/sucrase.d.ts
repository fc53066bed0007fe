// Types of src/vendor/sucrase.js, the browser bundle that scripts/vendor.mjs builds from the sucrase package.
export {transform} from "sucrase";
