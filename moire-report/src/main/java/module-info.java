/** Static, self-contained HTML reports from a moire store, and a command line to write them. */
@SuppressWarnings({"requires-automatic", "module"})
module dev.moire.report {
  requires transitive dev.moire.store;
  requires org.eclipse.elk.core;
  requires org.eclipse.elk.graph;
  requires org.eclipse.elk.alg.layered;
  requires org.eclipse.emf.ecore;
  requires org.eclipse.emf.common;

  exports dev.moire.report;
}
