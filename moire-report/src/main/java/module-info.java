/** Static HTML reports from a moire store (filled in by the report issue). */
module dev.moire.report {
  requires transitive dev.moire.runtime;
}
