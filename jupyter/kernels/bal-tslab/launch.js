// Starts the project's own tslab with the project root as working folder, whatever folder
// Jupyter starts the kernel in (nbconvert uses the notebook's folder): tslab's TypeScript root
// is its working folder, so `import ... from "./src/..."` then works from every notebook.
const path = require("path");
const root = path.resolve(__dirname, "..", "..", "..");
process.chdir(root);
process.env.BAL_PROJECT_ROOT = root;
const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error("usage: node launch.js <connection_file>");
  process.exit(2);
}
process.argv = [process.argv[0], path.join(root, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", connectionFile];
require(path.join(root, "node_modules", "tslab", "dist", "main.js")).main();
