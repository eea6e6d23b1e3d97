/** The moire JUnit 5 extension (filled in by the JUnit issue). */
module dev.moire.junit {
  requires transitive dev.moire.runtime;
  requires dev.moire.report;
  requires org.junit.jupiter.api;
}
