package dev.moire.model.findings;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a finding is about. */
public enum FindingKind {
  /** A cycle of the wait-for relation through blocked tasks. */
  DEADLOCK_CYCLE("deadlock_cycle"),
  /** Every thread of the test is blocked, and nothing has moved for the grace period. */
  GLOBAL_STALL("global_stall"),
  /** A task waits on a receiver whose sender is open but held or polled by no live task. */
  LOST_SENDER("lost_sender"),
  /** A receiver with no paired sender. */
  DANGLING_RECEIVER("dangling_receiver"),
  /** A lock, permit or initialisation still held when its holder or the test ended. */
  LEAKED_HOLD("leaked_hold"),
  /** A wait longer than the threshold. */
  LONG_WAIT("long_wait"),
  /** A hold longer than the threshold. */
  LONG_HOLD("long_hold");

  private final String wireName;

  FindingKind(String wireName) {
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
