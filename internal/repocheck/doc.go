// Package repocheck holds tests over the repository itself, so that it
// reads on its own: every requirement ID a file cites is defined in
// docs/requirements.md, every relative link and anchor in the Markdown
// documents resolves, and nothing points outside the repository.
package repocheck
