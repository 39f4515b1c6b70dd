import { UsageError } from '../errors.js';

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

/**
 * A blob a git mode must read is not in the object store (a partial or damaged clone). keywarden
 * never fetches it (that would run the repository's transport settings) and never passes over it:
 * a change it could not read is not a clean change.
 */
export class MissingObjectError extends GitError {
  constructor(blob: string, path: string) {
    super(`${path}: blob ${blob} is missing from the object store (a partial clone? fetch it, then scan again)`);
  }
}
