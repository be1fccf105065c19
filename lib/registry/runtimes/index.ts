import type { RuntimeDescriptor, RuntimeId } from '../types.ts';
import { bash } from './bash.ts';
import { jvm } from './jvm.ts';
import { node } from './node.ts';
import { python } from './python.ts';
import { tomcat } from './tomcat.ts';

export const runtimes: Record<RuntimeId, RuntimeDescriptor> = { node, python, jvm, tomcat, bash };
