/** Static, self-contained HTML reports from a moire store, and a command line to write them. */
module dev.moire.report {
  requires transitive dev.moire.runtime;

  exports dev.moire.report;
}
