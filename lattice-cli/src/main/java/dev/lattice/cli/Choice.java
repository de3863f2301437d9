package dev.lattice.cli;

import java.util.List;

/**
 * The values an option takes, written once as its help label ({@code cilium|istio|all}) and checked
 * from that same text.
 */
final class Choice {
  private Choice() {}

  /**
   * {@code value} when it is one of the {@code |}-separated {@code choices}.
   *
   * @throws UsageException naming the choices otherwise
   */
  static String check(String option, String value, String choices) throws UsageException {
    List<String> allowed = List.of(choices.split("\\|"));
    if (allowed.contains(value)) {
      return value;
    }
    String words =
        allowed.size() == 2
            ? allowed.get(0) + " or " + allowed.get(1)
            : String.join(", ", allowed.subList(0, allowed.size() - 1))
                + " or "
                + allowed.get(allowed.size() - 1);
    throw new UsageException(option + " is " + words + ", got \"" + value + "\"");
  }
}
