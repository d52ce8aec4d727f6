const TEST_PATH =
  /(^|\/)(tests?|testing|__tests__|spec)\/|(^|\/)(test_[^/]*|[^/]*_test\.[a-z]+|conftest\.py)$|\.(test|spec)\.[a-z]+$/i;

/** Test code by the usual layout conventions (tests/ folders, test_*.py, *_test.go, *.spec.ts). */
export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}
