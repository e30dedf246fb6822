package cli

// followLinksHelp is the help of --follow-links, which validate, inspect
// and convert share.
const followLinksHelp = "follow symbolic links that stay inside a folder read (a lesson, a package folder, the folder of an OTA document's files); links leading outside it are always refused"
