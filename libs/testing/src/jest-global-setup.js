// Integration tier: say at once what is missing instead of letting every suite time out.
module.exports = async () => {
  const missing = ['DATABASE_URL', 'REDIS_URL'].filter((name) => !process.env[name]);
  if (missing.length > 0 && !process.env.PBX_TEST_ALLOW_MISSING_SERVICES) {
    throw new Error(
      `integration tests need ${missing.join(' and ')}; start the test services with ` +
        '`source scripts/test-services.sh` (what .ci/run does) and run again',
    );
  }
};
