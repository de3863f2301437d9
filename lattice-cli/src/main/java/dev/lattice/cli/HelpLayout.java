package dev.lattice.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Ansi.IStyle;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.IParamLabelRenderer;
import picocli.CommandLine.Help.Layout;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How the help reads, for every command, from the commands' own annotations: {@code usage: lattice
 * render [--layer cilium|istio|all] ... [settings] PATH...}, the description, the command's
 * options, the settings flags under their own heading, and the exit codes. {@code lattice help}
 * lists the commands with their exit codes, each from the command's own {@code exitCodeList}.
 */
final class HelpLayout {
  private static final int WIDTH = 100;
  private static final String SETTINGS_SECTION = "settings";

  private HelpLayout() {}

  /** Lays out the help of {@code root} and every command under it. */
  static void apply(CommandLine root) {
    for (CommandLine cl : all(root)) {
      CommandSpec spec = cl.getCommandSpec();
      cl.setUsageHelpWidth(WIDTH);
      cl.setUsageHelpLongOptionsMaxWidth(30);
      spec.usageMessage()
          .synopsisHeading("usage: ")
          .descriptionHeading("%n")
          .parameterListHeading("")
          .optionListHeading("%noptions:%n")
          .commandListHeading("%ncommands:%n")
          .exitCodeListHeading("%nexit codes:%n");
      Map<String, CommandLine.IHelpSectionRenderer> sections = cl.getHelpSectionMap();
      sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, help -> "");
      if (cl == root) {
        sections.put(
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS,
            help -> "lattice <command> [options] PATH...\n");
        sections.put(
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> "");
        sections.put(
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST, HelpLayout::exitCodes);
        continue;
      }
      sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS, HelpLayout::synopsis);
      sections.put(
          CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
          help -> options(help, o -> !isSetting(help.commandSpec(), o)));
      sections.put(
          SETTINGS_SECTION,
          help -> {
            String list = options(help, o -> isSetting(help.commandSpec(), o));
            return list.isEmpty() ? "" : "\nsettings:\n" + list;
          });
      List<String> keys = new ArrayList<>(cl.getHelpSectionKeys());
      keys.add(
          keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1,
          SETTINGS_SECTION);
      cl.setHelpSectionKeys(keys);
    }
  }

  /** The commands users run, in the order {@code lattice help} lists them. */
  static List<String> commandNames(CommandLine root) {
    return root.getSubcommands().values().stream()
        .filter(c -> !c.getCommandSpec().usageMessage().hidden())
        .map(CommandLine::getCommandName)
        .filter(n -> !n.equals("help"))
        .distinct()
        .toList();
  }

  private static List<CommandLine> all(CommandLine root) {
    List<CommandLine> out = new ArrayList<>();
    out.add(root);
    out.addAll(root.getSubcommands().values().stream().distinct().toList());
    return out;
  }

  /** {@code lattice render [--layer cilium|istio|all] ... [settings] PATH...}. */
  private static String synopsis(Help help) {
    CommandSpec spec = help.commandSpec();
    StringBuilder sb = new StringBuilder(spec.qualifiedName());
    for (OptionSpec o : spec.options()) {
      if (o.hidden() || o.usageHelp() || o.versionHelp() || isSetting(spec, o)) {
        continue;
      }
      String one = o.shortestName() + label(o);
      sb.append(' ').append(o.required() ? one : "[" + one + "]");
    }
    if (spec.mixins().containsKey(SettingsOptions.MIXIN)) {
      sb.append(" [settings]");
    }
    for (var p : spec.positionalParameters()) {
      if (!p.hidden()) {
        sb.append(' ').append(p.paramLabel()).append(p.arity().max() > 1 ? "..." : "");
      }
    }
    return wrap(sb.toString(), "    ");
  }

  private static String options(Help help, Predicate<OptionSpec> which) {
    Layout layout = help.createDefaultLayout();
    IParamLabelRenderer labels = new SpaceSeparated();
    for (OptionSpec o : help.commandSpec().options()) {
      if (!o.hidden() && which.test(o)) {
        layout.addOption(o, labels);
      }
    }
    return layout.toString();
  }

  private static boolean isSetting(CommandSpec spec, OptionSpec o) {
    CommandSpec settings = spec.mixins().get(SettingsOptions.MIXIN);
    return settings != null
        && settings.options().stream().anyMatch(s -> s.longestName().equals(o.longestName()));
  }

  /** Every command's exit codes, one line each, from the commands' own lists. */
  private static String exitCodes(Help help) {
    StringBuilder sb = new StringBuilder();
    Set<String> seen = new java.util.HashSet<>();
    for (Map.Entry<String, Help> e : help.subcommands().entrySet()) {
      Help sub = e.getValue();
      if (sub.commandSpec().usageMessage().hidden()
          || !seen.add(sub.commandSpec().name())
          || sub.commandSpec().usageMessage().exitCodeList().isEmpty()) {
        continue;
      }
      String codes =
          sub.commandSpec().usageMessage().exitCodeList().entrySet().stream()
              .map(c -> c.getKey().trim() + " " + c.getValue().replaceAll(" \\(.*\\)$", ""))
              .collect(Collectors.joining("; "));
      sb.append(wrap(String.format("  %-8s %s", sub.commandSpec().name(), codes), "           "));
    }
    return sb.append("(lattice help <command> says more)\n").toString();
  }

  private static String label(ArgSpec a) {
    return a.arity().max() == 0 ? "" : " " + a.paramLabel();
  }

  /** Wraps {@code line} at the help width on spaces, indenting continuation lines. */
  private static String wrap(String line, String indent) {
    StringBuilder sb = new StringBuilder();
    String rest = line;
    while (rest.length() > WIDTH) {
      int cut = rest.lastIndexOf(' ', WIDTH);
      if (cut <= indent.length()) {
        break;
      }
      sb.append(rest, 0, cut).append('\n');
      rest = indent + rest.substring(cut + 1);
    }
    return sb.append(rest).append('\n').toString();
  }

  /** Option labels as {@code --layer cilium|istio|all}, not {@code --layer=cilium|istio|all}. */
  private static final class SpaceSeparated implements IParamLabelRenderer {
    @Override
    public Text renderParameterLabel(ArgSpec arg, Ansi ansi, List<IStyle> styles) {
      return ansi.text(label(arg));
    }

    @Override
    public String separator() {
      return " ";
    }
  }
}
