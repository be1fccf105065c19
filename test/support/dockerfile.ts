import { readFileSync } from 'node:fs';
import { DockerfileParser, type Instruction, JSONInstruction } from 'dockerfile-ast';

/** What the final stage of a Dockerfile says about PID 1, read as a black box (no generator code). */
export interface ImageRunSpec {
  entrypoint: string[];
  cmd: string[];
  /** ENTRYPOINT + CMD: the argv of PID 1. */
  pid1: string[];
  workdir: string;
  env: Record<string, string>;
  user?: string;
  stopSignal?: string;
  from: string[];
}

/** Exec form means both brackets are there (dockerfile-ast treats shell form as a JSONInstruction too). */
export function execFormArgv(instruction: Instruction): string[] | undefined {
  if (!(instruction instanceof JSONInstruction)) return undefined;
  if (!instruction.getOpeningBracket() || !instruction.getClosingBracket()) return undefined;
  return instruction.getJSONStrings().map((s) => s.getJSONValue());
}

export function finalStageInstructions(text: string): Instruction[] {
  const all = DockerfileParser.parse(text).getInstructions();
  const lastFrom = all.map((i) => i.getKeyword()).lastIndexOf('FROM');
  return all.slice(lastFrom);
}

export function readImageRunSpec(dockerfilePath: string): ImageRunSpec {
  const text = readFileSync(dockerfilePath, 'utf8');
  const spec: ImageRunSpec = { entrypoint: [], cmd: [], pid1: [], workdir: '/', env: {}, from: [] };
  for (const i of DockerfileParser.parse(text).getInstructions()) {
    if (i.getKeyword() === 'FROM') spec.from.push(i.getArguments()[0]?.getValue() ?? '');
  }
  for (const i of finalStageInstructions(text)) {
    const args = i.getArguments().map((a) => a.getValue());
    switch (i.getKeyword()) {
      case 'ENTRYPOINT':
        spec.entrypoint = mustBeExecForm(i, dockerfilePath);
        spec.cmd = []; // Docker resets an inherited CMD when ENTRYPOINT is set.
        break;
      case 'CMD':
        spec.cmd = mustBeExecForm(i, dockerfilePath);
        break;
      case 'WORKDIR':
        spec.workdir = args[0] ?? '/';
        break;
      case 'USER':
        spec.user = args[0];
        break;
      case 'STOPSIGNAL':
        spec.stopSignal = args[0];
        break;
      case 'ENV':
        for (const p of (i as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties()) {
          spec.env[p.getName()] = p.getValue() ?? '';
        }
        break;
    }
  }
  spec.pid1 = [...spec.entrypoint, ...spec.cmd];
  return spec;
}

function mustBeExecForm(i: Instruction, file: string): string[] {
  const argv = execFormArgv(i);
  if (!argv) throw new Error(`${file}:${i.getRange().start.line + 1}: ${i.getKeyword()} is not in exec form`);
  return argv;
}
