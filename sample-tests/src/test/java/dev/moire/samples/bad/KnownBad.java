package dev.moire.samples.bad;

import dev.moire.model.findings.FindingKind;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a known-bad sample: a test that hangs the classic way, which moire must fail quickly with
 * the given finding. Such classes end in {@code Sample}, so the normal build does not run them as
 * tests; {@code KnownBadSamplesTest} runs them through the test kit and checks each failure, and
 * the main job runs them for real.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface KnownBad {
  /** The finding that must fail the sample. */
  FindingKind finding();

  /** The story, in one line, for the report and the README. */
  String story();
}
