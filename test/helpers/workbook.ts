// Excel files the product writes, read back as a user's spreadsheet would show them.
import ExcelJS from 'exceljs';

export async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return wb;
}

/** A sheet's rows as objects keyed by its header row. */
export function sheetRecords(ws: ExcelJS.Worksheet): Record<string, ExcelJS.CellValue>[] {
  const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const out: Record<string, ExcelJS.CellValue>[] = [];
  ws.eachRow((row, n) => { if (n > 1) out.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1).value]))); });
  return out;
}
