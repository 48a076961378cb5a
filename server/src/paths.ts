import path from 'node:path'

/** Folders of the repository the server needs at run time, resolved from this file. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..')
export const DEFAULT_RULES_FILE = path.join(REPO_ROOT, 'config', 'rules.json')
export const H5_DIST_DIR = path.join(REPO_ROOT, 'dist', 'h5')
export const TOOLS_BIN_DIR = path.join(REPO_ROOT, '.tools', 'bin')
export const DEFAULT_DATA_DIR = path.join(REPO_ROOT, '.data')
export const CONSOLE_DIST_DIR = path.join(REPO_ROOT, 'dist', 'console')
