/**
 * HEALTHCHECK for images that have curl but no runtime to script a probe in (JRE, Tomcat).
 * sh only expands $PORT, so a run-time override moves the probe too; it is not PID 1, so no signal is at stake.
 */
export const curlHealthcheck = ['sh', '-c', 'exec curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/healthz"'] as const;
