package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The policy's disruption slots as the planner counted them: the limit {@code maxUnavailable}
 * resolves to, how many of the policy's nodes are out of service now, and which.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Slots {

  /** How many holders status lists at most; {@code unavailable} counts them all. */
  public static final int MAX_HOLDERS = 10;

  @JsonPropertyDescription(
      "Most nodes that may be out of service at once: maxUnavailable resolved against the managed"
          + " nodes (a percentage rounded down, at least 1).")
  private int limit;

  @JsonPropertyDescription(
      "Managed nodes out of service now, for any reason: disrupted by Refit, soaking after their"
          + " update, NotReady, or cordoned by anyone.")
  private int unavailable;

  @JsonPropertyDescription(
      "Slots free for the next disruption: limit minus unavailable, never below 0.")
  private int free;

  @JsonPropertyDescription(
      "The nodes that hold the slots and why, Refit's own first (at most 10; unavailable counts"
          + " them all).")
  private List<SlotHolder> holders = new ArrayList<>();

  public Slots() {}

  public Slots(int limit, int unavailable, List<SlotHolder> holders) {
    this.limit = limit;
    this.unavailable = unavailable;
    this.free = Math.max(0, limit - unavailable);
    this.holders = new ArrayList<>(holders);
  }

  public int getLimit() {
    return limit;
  }

  public void setLimit(int limit) {
    this.limit = limit;
  }

  public int getUnavailable() {
    return unavailable;
  }

  public void setUnavailable(int unavailable) {
    this.unavailable = unavailable;
  }

  public int getFree() {
    return free;
  }

  public void setFree(int free) {
    this.free = free;
  }

  public List<SlotHolder> getHolders() {
    return holders;
  }

  public void setHolders(List<SlotHolder> holders) {
    this.holders = holders == null ? new ArrayList<>() : holders;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Slots other
        && limit == other.limit
        && unavailable == other.unavailable
        && free == other.free
        && Objects.equals(holders, other.holders);
  }

  @Override
  public int hashCode() {
    return Objects.hash(limit, unavailable, free, holders);
  }

  @Override
  public String toString() {
    return unavailable + "/" + limit + " " + holders;
  }
}
