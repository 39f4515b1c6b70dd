import { UsageError } from '../scan/errors.js';

/**
 * git problems the user can fix (wrong directory, mistyped revision, git missing). They extend
 * UsageError so the CLI prints them as one line and exits 2, like any other bad argument.
 */
export class GitError extends UsageError {}

export class GitNotFoundError extends GitError {
  constructor() {
    super('git is not installed or not on PATH (git modes run the git command)');
  }
}

export class NotAGitRepositoryError extends GitError {
  constructor(cwd: string) {
    super(`not a git repository: ${cwd}`);
  }
}

export class BadRevisionError extends GitError {
  constructor(revision: string, what = 'revision') {
    super(`bad ${what}: "${revision}" is not a commit in this repository`);
  }
}
