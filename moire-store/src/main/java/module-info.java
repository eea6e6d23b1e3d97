/**
 * moire's store: snapshots, journals and findings in an SQLite file that several JVMs may share,
 * and the JSON form of the model. The test side needs it (the JUnit extension, the report); a
 * production user of a tracked type does not.
 */
module dev.moire.store {
  requires transitive dev.moire.runtime;
  requires java.sql;
  requires transitive com.fasterxml.jackson.annotation;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jdk8;

  exports dev.moire.runtime.store;
}
