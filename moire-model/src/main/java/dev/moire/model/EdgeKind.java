package dev.moire.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kind of an edge. Every edge reads as a sentence: "src KIND dst". */
public enum EdgeKind {
  /** Task → resource: the task has operated on the resource. */
  POLLS("polls"),
  /** Task → resource: the task is blocked in an operation on the resource right now. */
  WAITING_ON("waiting_on"),
  /** Sender → receiver, request → response: two ends of one channel or call. */
  PAIRED_WITH("paired_with"),
  /** Task → resource: the task holds the lock, permits, initialisation or endpoint. */
  HOLDS("holds");

  private final String wireName;

  EdgeKind(String wireName) {
    this.wireName = wireName;
  }

  /** Returns the snake_case name, such as {@code waiting_on}. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * Returns the kind with the given snake_case name.
   *
   * @throws IllegalArgumentException if no kind has that name
   */
  @JsonCreator
  public static EdgeKind fromWireName(String wireName) {
    for (EdgeKind kind : values()) {
      if (kind.wireName.equals(wireName)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown edge kind: '" + wireName + "'");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
