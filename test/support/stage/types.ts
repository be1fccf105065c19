/**
 * A stager prepares a generated project to run on this host the way its image would run it:
 * it performs the Dockerfile's build steps with the host's toolchain and says which host
 * directories stand in for which image paths. The signal tests then run the Dockerfile's own
 * ENTRYPOINT + CMD argv as PID 1 of a fresh PID namespace with those bind mounts.
 */
export interface StagedService {
  /** Host directories bind-mounted at image paths inside the test's mount namespace. */
  binds: { source: string; target: string }[];
  /** Extra environment needed on the host only (e.g. JAVA_HOME); the Dockerfile's ENV comes first. */
  env: Record<string, string>;
  /** Directories put in front of PATH, where the image has binaries the host keeps elsewhere. */
  pathPrepend: string[];
}

/** projectDir: the generated project (read-only input); scratch: a fresh directory the stager may use. */
export type Stager = (projectDir: string, scratch: string) => Promise<StagedService>;
