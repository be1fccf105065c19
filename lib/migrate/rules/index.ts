// Every rule, in id order. A rule is data: id, name, why, fix and detect(model).
import type { MigrateRule } from './util.ts';
import { shellFormCmd } from './shell-form-cmd.ts';
import { shCWrapper } from './sh-c-wrapper.ts';
import { packageManagerWrapper } from './package-manager-wrapper.ts';
import { noExecInEntrypoint } from './no-exec-in-entrypoint.ts';
import { trapDeferred } from './trap-deferred.ts';
import { execDiscardsTrap } from './exec-discards-trap.ts';
import { daemonizedChild } from './daemonized-child.ts';
import { backgroundChildren } from './background-children.ts';
import { pipeEntrypoint } from './pipe-entrypoint.ts';
import { suSudoWrapper } from './su-sudo-wrapper.ts';
import { supervisorNotPid1 } from './supervisor-not-pid1.ts';
import { supervisordFailFast } from './supervisord-fail-fast.ts';
import { supervisordDaemonizes } from './supervisord-daemonizes.ts';
import { wrongStopsignal } from './wrong-stopsignal.ts';
import { stopTimeoutConfig } from './stop-timeout-config.ts';
import { jvmXrs } from './jvm-xrs.ts';
import { noSignalHandler } from './no-signal-handler.ts';
import { noZombieReaping } from './no-zombie-reaping.ts';
import { initProcessGroup } from './init-process-group.ts';
import { initSingleChild } from './init-single-child.ts';
import { uwsgiTerm } from './uwsgi-term.ts';
import { serverDaemonizes } from './server-daemonizes.ts';
import { scriptNotFound, scriptParseError, chainTooDeep, scriptNotInContext } from './input-problems.ts';

export type { MigrateRule } from './util.ts';

export const RULES: readonly MigrateRule[] = [
  shellFormCmd, shCWrapper, packageManagerWrapper, noExecInEntrypoint, trapDeferred, execDiscardsTrap,
  daemonizedChild, backgroundChildren, pipeEntrypoint, suSudoWrapper, supervisorNotPid1, supervisordFailFast,
  supervisordDaemonizes, wrongStopsignal, stopTimeoutConfig, jvmXrs, noSignalHandler, noZombieReaping,
  initProcessGroup, initSingleChild, uwsgiTerm, serverDaemonizes, scriptNotFound, scriptParseError, chainTooDeep, scriptNotInContext,
];

export const ruleById = (id: string): MigrateRule | undefined => RULES.find((r) => r.id === id || r.name === id);
