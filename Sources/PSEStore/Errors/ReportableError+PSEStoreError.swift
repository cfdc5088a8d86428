import PSEKit

/// Messages show an error of PSEStore as its ``PSEStoreError/message``.
extension PSEStoreError: ReportableError {}
