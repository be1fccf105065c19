import type { Readable } from 'node:stream';
import type { CapturedOutput } from './report.ts';

/** Keeps the start and the end of a stream, about `limit` characters: the boot shows at the start, cleanup markers at the end. */
export class BoundedCapture {
  private head = '';
  private tail = '';
  private bytes = 0;
  private listeners: (() => void)[] = [];

  private readonly limit: number;

  constructor(limit = 256 * 1024) {
    this.limit = limit;
  }

  attach(stream: Readable): void {
    stream.on('data', (chunk: Buffer) => this.push(chunk.toString()));
  }

  push(text: string): void {
    this.bytes += Buffer.byteLength(text);
    const half = this.limit / 2;
    if (this.head.length < half) {
      const room = half - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    this.tail = (this.tail + text).slice(-half);
    for (const listener of this.listeners) listener();
  }

  /** Calls back after every chunk; returns an unsubscribe function. */
  onData(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  text(): string {
    return this.head + this.tail;
  }

  result(): CapturedOutput {
    const kept = Buffer.byteLength(this.text());
    const text = kept < this.bytes ? `${this.head}\n[... ${this.bytes - kept} bytes cut ...]\n${this.tail}` : this.text();
    return { text, truncatedBytes: this.bytes - kept };
  }
}
