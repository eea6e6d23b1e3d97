/** The moire graph model: immutable records and a replayable graph; no run-time dependency. */
@SuppressWarnings("module") // the friend modules are built after this one
module dev.moire.model {
  // The annotations that define the JSON form: needed to compile, not to run.
  requires static com.fasterxml.jackson.annotation;
  requires transitive org.jspecify;

  exports dev.moire.model;
  exports dev.moire.model.findings;
  exports dev.moire.model.internal to
      dev.moire.runtime,
      dev.moire.store,
      dev.moire.junit,
      dev.moire.report;

  // For the JSON form, read and written by moire-store's Jackson.
  opens dev.moire.model.findings;
  opens dev.moire.model;
}
