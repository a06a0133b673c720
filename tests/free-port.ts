/**
 * A free TCP port on 127.0.0.1, for suites that start a server (Jupyter, JupyterHub).
 */
import { createServer } from "node:net";

/** Asks the OS for a port, closes the probe, and returns the number. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}
