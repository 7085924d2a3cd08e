// The part of qrcode 1.5.4's API the checkout uses (the package ships no types; @types/qrcode is not a dependency).
declare module 'qrcode' {
  interface QRCodeToBufferOptions {
    type?: 'png';
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
    margin?: number;
    width?: number;
  }
  export function toBuffer(text: string, options?: QRCodeToBufferOptions): Promise<Buffer>;
  const QRCode: { toBuffer: typeof toBuffer };
  export default QRCode;
}
