/** The moire runtime: live graph, handles, journal, causal context and tracked primitives. */
module dev.moire.runtime {
  requires transitive dev.moire.model;
  requires java.management;
  requires java.sql;
  requires static transitive org.jspecify;

  exports dev.moire.runtime;
  exports dev.moire.runtime.channel;
  exports dev.moire.runtime.sync;
  exports dev.moire.runtime.task;
  exports dev.moire.runtime.store;
}
