// ferry-sink-check: the sink conformance kit. Runs the sink contract against any sink plugin's shared object.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstring>
#include <iostream>

#include "config/config.hpp"
#include "plugin_sink.hpp"

namespace {

constexpr const char* usage =
    "usage: ferry-sink-check PLUGIN.so [--set KEY=VALUE]... [--no-lookup] [--large-size SIZE]\n"
    "                        [--memory-bound SIZE] [Catch2 options and check names]\n"
    "Checks a sink plugin against the sink contract, each check on a fresh instance. {scratch} in a\n"
    "--set value stands for an empty directory made for each check. Files are read back through the\n"
    "sink's lookup hook. Exit status: 0 when every check passes, the number of failed checks otherwise,\n"
    "2 when the plugin or its settings are refused. `ferry-sink-check PLUGIN.so --help` lists all options.\n";

bool parse_size(const std::string& text, const char* option, uint64_t& out) {
  const auto size = ferry::config::parse_size(text);
  if (!size) {
    std::cerr << "ferry-sink-check: " << option << " expects a size such as 64MiB, got \"" << text << "\"\n";
    return false;
  }
  out = *size;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') {
    const bool asked = argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0);
    (asked ? std::cout : std::cerr) << usage;
    return asked ? 0 : 2;
  }
  ferry::sink_kit::KitOptions options;
  options.plugin = argv[1];
  std::vector<char*> rest{argv[0]};
  rest.insert(rest.end(), argv + 2, argv + argc);

  Catch::Session session;
  bool no_lookup = false;
  std::string large_size = "256MiB", memory_bound = "32MiB";
  using Catch::clara::Opt;
  session.cli(session.cli() |
              Opt(options.settings, "KEY=VALUE")["--set"](
                  "a key of the sink's table; {scratch} in VALUE is an empty directory made for each check") |
              Opt(no_lookup)["--no-lookup"]("the sink keeps nothing to read back (like null): skip those checks") |
              Opt(large_size, "SIZE")["--large-size"]("size of the large-file check's file (default 256MiB)") |
              Opt(memory_bound, "SIZE")["--memory-bound"](
                  "how much resident memory may grow during the large-file check (default 32MiB)"));
  if (session.applyCommandLine(static_cast<int>(rest.size()), rest.data()) != 0) return 2;
  if (session.configData().showHelp) return 0;
  options.lookup = !no_lookup;
  if (!parse_size(large_size, "--large-size", options.large_size) ||
      !parse_size(memory_bound, "--memory-bound", options.memory_bound))
    return 2;
  if (const auto problem = ferry::sink_kit::start_kit(options)) {
    std::cerr << "ferry-sink-check: " << *problem << "\n";
    return 2;
  }
  return session.run();
}
