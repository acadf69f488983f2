// The changelog's lines: each changeset's sentence as written (no commit hashes), and one line
// naming the hush packages a release now uses, where changesets' default repeats "Updated
// dependencies" once per changeset.
/** @type {import("@changesets/types").ChangelogFunctions} */
module.exports = {
  async getReleaseLine(changeset) {
    const [first, ...rest] = changeset.summary.trim().split("\n");
    return [`- ${first}`, ...rest.map((line) => `  ${line}`.trimEnd())].join("\n");
  },
  async getDependencyReleaseLine(_changesets, updated) {
    if (updated.length === 0) return "";
    return `- Uses ${updated.map((dependency) => `${dependency.name}@${dependency.newVersion}`).join(", ")}.`;
  },
};
