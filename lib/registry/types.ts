/** Ids are string unions so descriptors can be looked up by the flag value a user typed. */
export type RuntimeId = 'node' | 'python' | 'jvm' | 'tomcat' | 'bash';
export type ModelId = 'single' | 'wrapper' | 'multi' | 'workers';
export type InitId = 'tini' | 'dumb-init' | 'none';
/** Who supervises the services of the multi model under the init. */
export type SupervisorId = 'graceful' | 'supervisord';

/** A template under templates/ rendered to a path in the generated project. */
export interface TemplateFile {
  source: string;
  destination: string;
}

/** What a graceful stop, a failed cleanup and a forced stop exit with; documented and tested. */
export interface ExitStatusPolicy {
  graceful: number;
  cleanupFailed: number;
  /** Exit status when a second stop signal forces the exit: 128 + that signal's number. */
  forcedIsSignalPlus128: true;
  why: string;
}

export interface RuntimeDescriptor {
  id: RuntimeId;
  title: string;
  summary: string;
  /** Pinned official images: an optional build stage and the runtime stage. */
  images: { build?: string; run: string };
  /** Dockerfile partial under templates/_partials/dockerfile/ holding build stages (rendered before the final FROM). */
  buildPartial?: string;
  /** Dockerfile partial that copies the app into the final stage (after the init is installed, before USER). */
  appPartial: string;
  /** Application files, rendered from templates/<source> into the project. */
  files: TemplateFile[];
  /** Working directory of the app in the image. */
  workdir: string;
  /** Non-root user the service runs as; `create` when the base image does not have one. */
  user: { name: string; uid: number; create: boolean };
  /** The app's argv inside the image, the last element of the PID-1 chain. */
  appArgv: readonly string[];
  /** HTTP service or a port-less worker. */
  http: boolean;
  defaultPort?: number;
  /** Exec-form argv of the HEALTHCHECK, using only what the runtime image has; it reads $PORT at run time. */
  healthcheck?: readonly string[];
  stopSignal: 'SIGTERM' | 'SIGINT' | 'SIGQUIT';
  exitStatus: ExitStatusPolicy;
  /** Environment the Dockerfile sets for this runtime (beyond the service contract's variables). */
  env?: Record<string, string>;
}

export interface InitDescriptor {
  id: InitId;
  title: string;
  summary: string;
  /** Debian/Ubuntu package providing the init (installed with apt, nothing is downloaded). */
  aptPackage?: string;
  /** argv prefix placed before the app in ENTRYPOINT; empty for none. */
  argvPrefix: readonly string[];
  /** Why this init is safe (or not) as PID 1; one line, used in comments and SIGNALS.md. */
  why: string;
}

/** One row of a model's exit-status table (SIGNALS.md, docs/exit-status.md); tests assert each. */
export interface ExitStatusRow {
  situation: string;
  status: string;
}

/** What a model puts into the image for one runtime: argv after the init, its files, its Dockerfile partial. */
export interface ModelPlan {
  /** Replaces the init's argvPrefix (e.g. dumb-init --single-child, so that only the master gets signals). */
  initArgv?: readonly string[];
  /** Argv between the init and CMD (e.g. an entrypoint script); part of ENTRYPOINT. */
  entrypoint?: readonly string[];
  /** CMD: what the init (or the entrypoint) starts; PID 1 itself with init none. */
  cmd: readonly string[];
  /** Model files, rendered from templates/<source>. */
  files: TemplateFile[];
  /** Dockerfile partial (templates/_partials/dockerfile/<name>.ejs) rendered after the runtime's app partial. */
  partial?: string;
  /** Distribution packages the model needs, installed like the init's. */
  aptPackages?: readonly string[];
  /** ENV the model adds (after the runtime's). */
  env?: Record<string, string>;
  /** The image starts as root because the entrypoint drops privileges itself (no USER line). */
  dropsPrivileges?: boolean;
  /** Graceful-stop exit status of the container when it differs from the runtime's. */
  gracefulExit?: number;
  /** Exit-status table of this arrangement. */
  exitTable: ExitStatusRow[];
  /** Why-comments above ENTRYPOINT and CMD in the Dockerfile. */
  why: { entrypoint: string; cmd: string };
}

export interface ModelDescriptor {
  id: ModelId;
  title: string;
  summary: string;
  /** Models registered for the future are listed but refused with a clear message. */
  available: boolean;
  /** Inits that are safe for this model (e.g. `none` only when the app itself is PID 1 and reaps nothing). */
  inits: readonly InitId[];
  runtimes: readonly RuntimeId[];
  /** Supervisors the user may choose (multi only); the first is the default. */
  supervisors?: readonly SupervisorId[];
  /** How the model runs a runtime; absent: the runtime's own argv (the single model). */
  plan?: (runtime: RuntimeDescriptor, choices: { init: InitId; supervisor?: SupervisorId }) => ModelPlan;
}
