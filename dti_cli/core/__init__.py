"""What every stage stands on: errors, findings, language and numbers, text, safe outputs, the workbook writer."""
