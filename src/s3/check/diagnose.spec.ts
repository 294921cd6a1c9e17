import { diagnoseDownloadFailure, diagnoseUploadFailure, regionEnvironmentWarning } from './diagnose';

// AWS's answer to a SigV4 request signed for the wrong region (the reference matches this text)
const WRONG_REGION_BODY =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AuthorizationQueryParametersError</Code><Message>Error parsing the X-Amz-Credential parameter; the region \'us-east-1\' is wrong; expecting \'eu-central-1\'</Message><Region>eu-central-1</Region></Error>';

describe('check-s3-setup diagnoses', () => {
  it('a wrong region names the bucket region, the configured one and AWS_DEFAULT_REGION', () => {
    const lines = diagnoseUploadFailure('prompts', 'my-prompts', { status: 400, body: WRONG_REGION_BODY }, { AWS_DEFAULT_REGION: 'us-east-1' });
    expect(lines).toEqual([
      'Your bucket requests are being routed to a invalid AWS region.',
      "Your bucket 'my-prompts' is in region 'eu-central-1', but it is configured as 'us-east-1'",
      'Possible issues with environment variables:',
      'You have environment variable AWS_DEFAULT_REGION=us-east-1',
      'Set AWS_DEFAULT_REGION=eu-central-1 in .env (or pass --aws-region-name eu-central-1) and run this check again.',
    ]);
  });

  it('a 301 on the public URL uses the x-amz-bucket-region header', () => {
    const lines = diagnoseDownloadFailure('answers', 'ans', 'https://s3.amazonaws.com/ans/x', { status: 301, body: '', bucketRegion: 'ap-south-1' }, {});
    expect(lines[0]).toBe('Your bucket requests are being routed to a invalid AWS region.');
    expect(lines[1]).toBe("Your bucket 'ans' is in region 'ap-south-1'");
    expect(lines[lines.length - 1]).toContain('AWS_DEFAULT_REGION=ap-south-1');
  });

  it('a plain 403 AccessDenied keeps the reference sentence', () => {
    const body = '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';
    expect(diagnoseUploadFailure('prompts', 'p', { status: 403, body }, {})[0]).toBe('Your configured credentials does not have permissions to write to this bucket: p');
  });

  it('lists both region variables when both are set', () => {
    expect(regionEnvironmentWarning({ AWS_REGION: 'a-b-1', AWS_DEFAULT_REGION: 'c-d-2' }).slice(0, 3)).toEqual([
      'Possible issues with environment variables:',
      'You have environment variable AWS_REGION=a-b-1',
      'You have environment variable AWS_DEFAULT_REGION=c-d-2',
    ]);
  });
});
