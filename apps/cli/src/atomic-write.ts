// The name the commands know; new code imports writePrivateFileSync from @hush/config/private-file.
export { writePrivateFileSync as writeFileAtomic } from "@hush/config/private-file";
