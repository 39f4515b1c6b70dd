export { scanGit, describeGitMode, type GitMode, type GitScanOptions } from './scan.js';
export { stagedSources, diffSources, historySources, type GitSources, type GitSourceOptions, type HistoryOptions } from './sources.js';
export { GitError, GitNotFoundError, NotAGitRepositoryError, BadRevisionError } from './errors.js';
export type { GitContext } from './run.js';
