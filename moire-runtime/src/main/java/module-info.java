/**
 * The moire runtime: live graph, handles, journal, causal context and tracked primitives. It needs
 * nothing but the JDK and moire-model at run time, so a tracked type can go to production; the
 * SQLite store is moire-store.
 */
@SuppressWarnings("module") // the friend modules are built after this one
module dev.moire.runtime {
  requires transitive dev.moire.model;
  requires java.management;
  requires static com.fasterxml.jackson.annotation; // javac reads the model's; not at run time

  exports dev.moire.runtime;
  exports dev.moire.runtime.agent;
  exports dev.moire.runtime.channel;
  exports dev.moire.runtime.sync;
  exports dev.moire.runtime.task;
}
