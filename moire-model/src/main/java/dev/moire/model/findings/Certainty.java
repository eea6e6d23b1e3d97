package dev.moire.model.findings;

import com.fasterxml.jackson.annotation.JsonValue;

/** How sure a finding is. */
public enum Certainty {
  /** Proven by the snapshot: the harness fails the test on it. */
  CERTAIN("certain"),
  /**
   * Likely, but something on it could still move (a timed wait, a channel, an unconfirmed thread).
   */
  POSSIBLE("possible"),
  /** Not a hang, but worth a look (a long wait, a long hold). */
  WARNING("warning");

  private final String wireName;

  Certainty(String wireName) {
    this.wireName = wireName;
  }

  /** Returns the snake_case name. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
