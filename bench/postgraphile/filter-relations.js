// A PostGraphile server plugin (loaded with `--plugins`, which must be the first CLI option)
// that turns on postgraphile-plugin-connection-filter's relation filters
// (`connectionFilterRelations`): filtering events by their participants needs them, and the
// CLI has no flag for graphileBuildOptions (a .postgraphilerc.js would, but it is read from
// the working directory, which the benchmark harness does not fix).
module.exports = {
  "cli:library:options"(options) {
    return {
      ...options,
      graphileBuildOptions: {
        ...options.graphileBuildOptions,
        connectionFilterRelations: true,
      },
    };
  },
};
