import pytest

from egov.core.errors import DomainError
from egov.directory.validators import validate_code_qcvn102, validate_code_qd20


@pytest.mark.parametrize(
    "code", ["000.00.00.H12", "000.00.05.H12", "001.02.33.G22", "A1B.C2.00.Y99", " 000.00.00.h12 "]
)
def test_good_qcvn102_codes(code):
    assert validate_code_qcvn102(code) == code.strip().upper()


@pytest.mark.parametrize("code", [
    "", "H12", "000.00.00.Z12", "00.00.00.H12", "000.00.00.H1", "000.00.00.H123", "000-00-00-H12",
    "000.00.00.Hà2", "H12.05", "000.00.00.H12.", "ABC",
])
def test_bad_qcvn102_codes(code):
    with pytest.raises(DomainError) as exc:
        validate_code_qcvn102(code)
    assert exc.value.code == "invalid_agency_code"
    assert "không đúng định dạng QCVN 102:2016" in exc.value.message


@pytest.mark.parametrize("code", ["H12", "H12.05", "G09.20", "H12.05.01.AB3", "A00." + "1" * 31])
def test_good_qd20_codes(code):
    assert validate_code_qd20(code) == code


@pytest.mark.parametrize("code", [
    "", "12.H05", "Z12.05", "H1", "H12..05", "H12.", ".H12", "H12.0À5", "000.00.00.H12", "H12-05",
    "A00." + "1" * 32,  # 36 characters: longer than the 35 the decision allows
])
def test_bad_qd20_codes(code):
    with pytest.raises(DomainError) as exc:
        validate_code_qd20(code)
    assert "Quyết định 20/2020/QĐ-TTg" in exc.value.message
