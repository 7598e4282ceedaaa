/**
 * One line describing the machine a benchmark ran on: cores, CPU model, memory, the
 * disk and file system holding `dir`, kernel and Node versions. Linux-specific
 * readings fall back to "?" elsewhere.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Device, file system and (for block devices) whether the kernel calls it rotational. */
function disk(dir: string): string {
  const out = spawnSync('df', ['--output=source,fstype', dir], { encoding: 'utf8' });
  const [source, fstype] = (out.stdout ?? '').trim().split('\n').at(-1)?.trim().split(/\s+/) ?? [];
  if (!source) return '?';
  const name = source.replace(/^\/dev\//, '').replace(/p?\d+$/, '');
  const rotational = read(`/sys/block/${name}/queue/rotational`)?.trim();
  const kind = name.startsWith('vd') ? 'virtio disk' : rotational === '0' ? 'SSD' : rotational === '1' ? 'rotational' : 'disk';
  return `${source} ${fstype ?? '?'} (${kind})`;
}

export function describeMachine(dir: string): string {
  const model = /^model name\s*:\s*(.*)$/m.exec(read('/proc/cpuinfo') ?? '')?.[1] ?? os.cpus()[0]?.model ?? '?';
  const memGiB = (os.totalmem() / 1024 ** 3).toFixed(0);
  return `${os.availableParallelism()} cores (${model}), ${memGiB} GiB RAM, ${disk(dir)}, Linux ${os.release()}, Node ${process.version}`;
}
