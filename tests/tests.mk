# Runtime tests: Criterion suites, plain, under ASan+UBSan, and the threaded
# ones under TSan.
