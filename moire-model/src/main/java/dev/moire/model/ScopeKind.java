package dev.moire.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a scope groups. */
public enum ScopeKind {
  /** Everything of one runtime. */
  PROCESS("process"),
  /** What one thread created. */
  THREAD("thread"),
  /** What one tracked task created. */
  TASK("task"),
  /** What one test created, in its own thread and in the threads and tasks it started. */
  TEST("test");

  private final String wireName;

  ScopeKind(String wireName) {
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
