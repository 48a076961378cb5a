import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { REPO_ROOT } from '../src/paths'

/** The server as `npm start` runs it, without npm: tsx on `server/src/main.ts`. */
export const SERVER_COMMAND = [path.join('node_modules', '.bin', 'tsx'), path.join('server', 'src', 'main.ts')]

/** Whether a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export interface ServerProcess {
  url: string
  /** Everything the process printed so far (stdout and stderr). */
  output(): string
  /** Sends SIGTERM to the whole process group and resolves with the exit code. */
  stop(): Promise<number | null>
  /** Sends `signal` to the whole process group (SIGSTOP freezes it, SIGKILL kills it as a crash would). */
  signal(signal: NodeJS.Signals): void
}

/**
 * Runs the real server as a person would (`npm start` or `tsx server/src/main.ts`) in its own
 * process group, and resolves once it prints the address to open.
 */
export function startServerProcess(command: string[], env: Record<string, string>, timeoutMs = 180_000): Promise<ServerProcess> {
  const [cmd, ...args] = command
  const child: ChildProcess = spawn(cmd!, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL')
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    const onData = (d: Buffer) => {
      output += d.toString()
      const m = /is running: open (http:\/\/\S+)/.exec(output)
      if (m) {
        clearTimeout(timer)
        resolve({
          url: m[1]!.replace(/\/$/, ''),
          output: () => output,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM')
            return exited
          },
          signal: (signal) => process.kill(-child.pid!, signal),
        })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with code ${code} before starting:\n${output}`))
    })
  })
}

/** Runs a command to completion and returns its exit code and output. */
export function runToExit(command: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const [cmd, ...args] = command
  const child = spawn(cmd!, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })))
}
