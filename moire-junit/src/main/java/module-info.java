/**
 * The moire JUnit 5 extension: {@code @MoireTracked}, its watchdog, the stored evidence of failing
 * tests, {@code MoireAssertions} and graph conditions for Awaitility.
 */
module dev.moire.junit {
  requires transitive dev.moire.runtime;
  requires dev.moire.store;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  requires dev.moire.report;
  requires org.junit.platform.commons;
  // Only to say, at the start of a run, that the JUnit present is too old (JUnitFloor).
  requires static org.junit.platform.launcher;
  requires java.management;

  exports dev.moire.junit;

  provides org.junit.platform.launcher.LauncherSessionListener with
      dev.moire.junit.internal.JUnitFloor;

  // JUnit instantiates the package-private extension reflectively.
  opens dev.moire.junit to
      org.junit.platform.commons;
}
