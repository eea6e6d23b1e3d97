/** The moire graph model: immutable records, their JSON form and a replayable graph. */
@SuppressWarnings("module") // the friend modules are built after this one
module dev.moire.model {
  requires transitive com.fasterxml.jackson.annotation;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires static transitive org.jspecify;

  exports dev.moire.model;
  exports dev.moire.model.findings;
  exports dev.moire.model.internal to
      dev.moire.runtime,
      dev.moire.junit,
      dev.moire.report;

  opens dev.moire.model.findings to
      com.fasterxml.jackson.databind;
  opens dev.moire.model to
      com.fasterxml.jackson.databind;
}
