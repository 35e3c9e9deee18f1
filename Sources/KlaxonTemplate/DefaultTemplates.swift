enum DefaultTemplates { static let text = "" }
